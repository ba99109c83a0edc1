"""Reading files into positioned text (PDF, images, OFD/XML, spreadsheets), OCR, and field extraction."""
