"""Reference lists of the dossier as data (an administrator corrects or extends them).

Codes are stable identifiers used by imports, filters and statistics; names are what users read.
"""

from django.db import migrations

# Trình độ giáo dục phổ thông: the grades finished out of the system's grades (12/12 since 1975 in
# the South and 1981-ish nationwide; 10/10 the former northern system, 9/12 … for those who left
# school early).
EDUCATION_LEVELS = [
    ("12/12", "12/12"), ("11/12", "11/12"), ("10/12", "10/12"), ("9/12", "9/12"),
    ("8/12", "8/12"), ("7/12", "7/12"), ("6/12", "6/12"), ("5/12", "5/12"),
    ("10/10", "10/10"), ("9/10", "9/10"), ("8/10", "8/10"), ("7/10", "7/10"),
    ("6/10", "6/10"), ("5/10", "5/10"), ("4/10", "4/10"),
]  # fmt: skip

PROFESSIONAL_LEVELS = [
    ("none", "Chưa qua đào tạo"),
    ("so_cap", "Sơ cấp"),
    ("trung_cap", "Trung cấp"),
    ("cao_dang", "Cao đẳng"),
    ("dai_hoc", "Đại học"),
    ("thac_si", "Thạc sĩ"),
    ("tien_si", "Tiến sĩ"),
    ("tskh", "Tiến sĩ khoa học"),
]

ACADEMIC_TITLES = [("pgs", "Phó Giáo sư"), ("gs", "Giáo sư")]

THEORY_LEVELS = [
    ("so_cap", "Sơ cấp"),
    ("trung_cap", "Trung cấp"),
    ("cao_cap", "Cao cấp"),
    ("cu_nhan", "Cử nhân"),
]

# Nghề nghiệp as counted in the Party's statistics of members.
OCCUPATIONS = [
    ("cong_nhan", "Công nhân"),
    ("nong_dan", "Nông dân"),
    ("can_bo_cong_chuc", "Cán bộ, công chức"),
    ("vien_chuc", "Viên chức"),
    ("luc_luong_vu_trang", "Lực lượng vũ trang"),
    ("doanh_nhan", "Doanh nhân, chủ doanh nghiệp"),
    ("lao_dong_dn", "Người lao động trong doanh nghiệp"),
    ("tieu_thuong", "Tiểu thương, kinh doanh cá thể"),
    ("tri_thuc", "Trí thức, văn nghệ sĩ"),
    ("hoc_sinh_sinh_vien", "Học sinh, sinh viên"),
    ("huu_tri", "Hưu trí"),
    ("lao_dong_tu_do", "Lao động tự do"),
    ("khac", "Khác"),
]

LISTS = {
    "EducationLevel": EDUCATION_LEVELS,
    "ProfessionalLevel": PROFESSIONAL_LEVELS,
    "AcademicTitle": ACADEMIC_TITLES,
    "TheoryLevel": THEORY_LEVELS,
    "Occupation": OCCUPATIONS,
}


def seed(apps, schema_editor):
    for model_name, rows in LISTS.items():
        model = apps.get_model("members", model_name)
        for order, (code, name) in enumerate(rows, start=1):
            model.objects.update_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("members", "0007_dossier")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
