"""The drag-and-drop segment builder (issue 5): palette, canvas of groups, text form, live count.

Orange's canvas pattern (STYLE.md): a drag carries an identifier under our MIME
type, the drop pushes an undo command, the command changes the model, and the
views follow the model's `changed` signal.
"""
