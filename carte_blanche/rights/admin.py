"""Rights checks hold a household's situation and incomes: like persons, they are not in the admin.

They are read only through the pages, after ``consent.access.access_person``.
"""
