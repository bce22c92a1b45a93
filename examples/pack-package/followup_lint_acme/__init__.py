"""Acme Careers' followup-lint rules. The rule files beside this module are the pack;
this package holds no code that followup-lint runs."""
