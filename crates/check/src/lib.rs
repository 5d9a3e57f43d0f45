//! History checkers (being written).
