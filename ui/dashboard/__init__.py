"""The coordination dashboard panel: tables, QPainter charts and the one-page PDF export."""
