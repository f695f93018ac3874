"""The PySide6 desktop app: windows, dialogs and the worker that runs core writes."""
