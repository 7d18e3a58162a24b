"""Spreadsheets in (API.md section 10): each service's `/imports` routes (`router`), the
background runner of its jobs (`runner`), reading CSV and XLSX files (`reading`), the rows
through the single create's rules (`engine`) and the templates (`templates`). What a service
imports is declared in its `imports.py` (`mtqg_shared.kit.importing.Importable`)."""
