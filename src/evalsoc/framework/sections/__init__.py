"""Config models of the analysis sections (effects, capabilities, sroi, volunteering, rubrics)."""
