from dangvien.members.selectors import members_visible_to


def test_secretary_sees_only_their_cell(world):
    names = set(members_visible_to(world.users["secretary"]).values_list("full_name", flat=True))
    assert names == {"Nguyễn Văn An", "Trần Thị Bình"}
