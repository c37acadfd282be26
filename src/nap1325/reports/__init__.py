"""National progress reports (docx, pdf, xlsx) and the server-side charts they share with pages.

:mod:`.charts` turns plain data into accessible SVG; pages, PDF and Word use the same code
(DESIGN.md §7).
"""
