"""The CNE Workbench domain core: use-cases, rules and exports. Never imports Qt."""
