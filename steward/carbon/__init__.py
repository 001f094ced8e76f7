"""Carbon accounting: sources, monthly activity data, methodologies and calculation runs."""
