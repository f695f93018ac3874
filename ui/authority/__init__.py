"""Who you are in the app, your signing key, approval chains and the audit log viewer."""
