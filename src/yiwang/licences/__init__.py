"""E-licences (电子证照): licence types from the catalogue, issuance on approval, signed versions, public
verification, the holder's wallet and reuse as application materials (docs/adr/0090–0093)."""
