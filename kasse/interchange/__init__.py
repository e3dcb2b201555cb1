"""Reading and writing kasse's interchange formats (kasse/v1 JSON and friends)."""
