"""Reference lists as data: ethnic groups (code set QĐ 121-TCTK/PPCĐ, 1979) and religions."""

from django.db import migrations

# Danh mục các dân tộc Việt Nam, Quyết định 121-TCTK/PPCĐ (02/3/1979): the order is the code.
ETHNICITIES = [
    "Kinh", "Tày", "Thái", "Hoa", "Khơ-me", "Mường", "Nùng", "HMông", "Dao", "Gia-rai",
    "Ngái", "Ê-đê", "Ba Na", "Xơ-đăng", "Sán Chay", "Cơ-ho", "Chăm", "Sán Dìu", "Hrê", "Mnông",
    "Ra-glai", "Xtiêng", "Bru-Vân Kiều", "Thổ", "Giáy", "Cơ-tu", "Gié-Triêng", "Mạ", "Khơ-mú",
    "Co", "Tà-ôi", "Chơ-ro", "Kháng", "Xinh-mun", "Hà Nhì", "Chu-ru", "Lào", "La Chí", "La Ha",
    "Phù Lá", "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y",
    "Si La", "Pu Péo", "Brâu", "Ơ Đu", "Rơ-măm",
]  # fmt: skip

# Religions recognised by the State (16); an administrator corrects or extends this list.
RELIGIONS = [
    "Phật giáo", "Công giáo", "Tin lành", "Cao Đài", "Phật giáo Hòa Hảo", "Hồi giáo",
    "Tôn giáo Baha'i", "Tịnh độ Cư sĩ Phật hội Việt Nam", "Cơ đốc Phục lâm",
    "Phật giáo Tứ Ân Hiếu Nghĩa", "Minh Sư đạo", "Minh Lý đạo - Tam Tông Miếu",
    "Bửu Sơn Kỳ Hương", "Bà-la-môn", "Các Thánh hữu Ngày sau của Chúa Giê-su Ki-tô",
    "Phật đường Nam tông Minh Sư đạo",
]  # fmt: skip


def seed(apps, schema_editor):
    Ethnicity = apps.get_model("members", "Ethnicity")
    Religion = apps.get_model("members", "Religion")
    for i, name in enumerate(ETHNICITIES, start=1):
        Ethnicity.objects.update_or_create(code=f"{i:02d}", defaults={"name": name})
    for i, name in enumerate(RELIGIONS, start=1):
        Religion.objects.update_or_create(code=f"{i:02d}", defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
