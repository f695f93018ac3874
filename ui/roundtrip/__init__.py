"""The review round trip in the app: sending, extending and recalling, importing what returns."""
