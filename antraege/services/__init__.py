"""Every business rule of the Anträge, one module per subject: budget years and pots
(`budget`), submission and Nachweis (`einreichung`), drafts (`entwurf`), workflow steps
(`workflow`), payouts and bank details (`auszahlung`), the Projektkonferenz (`konferenz`),
deadlines (`fristen`) and data protection (`datenschutz`). Import the module that defines a
name: `from antraege.services import konferenz`, then `konferenz.beschluss_fassen(...)`."""
