"""Per-locale formats (settings.FORMAT_MODULE_PATH): ru and ky "1 234,5", en "1,234.5".

Django's ``ky`` formats use a decimal point; Kyrgyz writes a decimal comma, as Russian.
To add a locale, add ``<code>/formats.py`` here.
"""
