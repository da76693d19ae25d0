//! Checks of the repository itself: every file a document names exists,
//! and the imports of src/ run one way.

mod doc_refs;
mod import_graph;
