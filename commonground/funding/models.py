"""Resources: funding sources, concentration, runway and the cliff, and support shared out."""
