"""Community voice: the collaboration survey, listening sessions, priorities, capacity building and stories."""
