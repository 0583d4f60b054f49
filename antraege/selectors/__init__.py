"""Reads, one module per subject: the personal data an account may see (`bereich`; the area
scope itself is `quartiere.bereich`), the actions an account may take on an Antrag
(`aktionen`), the ledger (`hauptbuch`), the reports (`berichte`), the deadlines and the start
page's work list (`fristen`) and the status page (`statusseite`). Import the module that
defines a name: `from antraege.selectors import hauptbuch`, then `hauptbuch.antrag_geldstand`."""
