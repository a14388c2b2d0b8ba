//! CoAP conventions shared by every node (placeholder, filled in by the foundation work).
