"""The threat register is changed only through its services (reassessment history, high-water marks,
alerts); it has no admin pages."""
