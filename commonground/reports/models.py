"""The coalition's story: impact reports in HTML and PDF, the public page, the funders' side-by-side view."""
