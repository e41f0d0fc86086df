"""CSV import and export in the shapes Japanese Excel reads and writes.

importer.import_csv / preview_csv and exporter.export_csv are the entry points;
the other modules hold the pieces they share (encodings, header names, row rules).
"""
