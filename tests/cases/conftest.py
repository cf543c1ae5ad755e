# The audit log's trigger refuses UPDATE and DELETE only (docs/adr/0003), so transactional tests
# can end with Django's flush (TRUNCATE) on PostgreSQL without lifting any guard.
