"""Where a person's data is kept: the SQLite history (`store`, the one module that issues
SQL), the profile, prescription and settings files, and the export formats (`transfer`).
"""
