"""Readers of files people make elsewhere (the office's spreadsheets) into plain records."""
