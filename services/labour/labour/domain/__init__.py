"""The labour service's rules, free of web and database code."""
