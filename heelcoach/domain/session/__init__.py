"""The live session: a pure engine (`engine`) and the shapes it speaks in (`model`)."""
