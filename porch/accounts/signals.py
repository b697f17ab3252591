"""What accounts tells the apps above it, without importing them."""

from django.dispatch import Signal

# Sent with request= and user= once every other session of the user has been ended.
other_sessions_ended = Signal()
