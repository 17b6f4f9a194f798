"""Exchange formats: JSON backups, the Excel workbook, CSV files, StratML and ArchiMate files."""
