"""The member pages, one module each: the list of a node (list), the record (record), its edit
(edit), photo (photo), search (search), export of a list (export), the activation code (activation);
`trail` turns a record's audit events into rows the record page shows."""
