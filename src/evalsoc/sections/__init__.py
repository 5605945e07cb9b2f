"""Analysis sections: one descriptor each in `registry`, which every stage loops over."""
