"""Services: keyword-only functions, the only code that commits or talks to Temporal."""
