"""Workspace-wide search, the study registry and the deconfliction prompt."""
