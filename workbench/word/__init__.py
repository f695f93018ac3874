"""Word (.docx) out of the workbench: one writer for exports and review copies (see writer.py)."""
