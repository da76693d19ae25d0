//! Known answers from outside uvtool: the independent corpus
//! (`tests/corpus/`) and Project Wycheproof's RSA signature vectors.

mod corpus;
mod wycheproof;
