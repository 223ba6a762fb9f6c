"""Nothing of strategic monitoring is edited in the admin: every change goes through the services, so
that the evaluations are recomputed and the high-water mark is kept."""
