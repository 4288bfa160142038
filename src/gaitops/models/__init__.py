"""Models: plain nn.Module components, Lightning modules around them, training and storage."""
