"""Planning by resident population (按常住人口规划): demand, gaps, projection, facility location, accessibility."""
