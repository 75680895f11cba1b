"""Pure engines of insights (no Django import): anomaly scores, suspicious reporting, precision and
recall, SVG charts, spreadsheet-safe text."""
