"""One reader per file format; each turns bytes into ``models.Page`` objects or raises DocumentReadError."""
