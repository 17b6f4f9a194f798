"""Exchange formats: JSON backup and restore, the Excel workbook, CSV files, and the registry."""
