# The models of this app arrive with its issue; it uses the shared model in oe21/.
