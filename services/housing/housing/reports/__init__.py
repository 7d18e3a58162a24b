"""The province's progress report: cases by status and money by source, as of any date."""
