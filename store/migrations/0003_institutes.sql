-- CICPA and the 36 local institutes: the 31 provincial-level institutes, coded by their
-- ISO 3166-2:CN letters, and the five separately listed cities (计划单列市). The cities' parent
-- is CICPA, not their province: CICPA deals with them directly, as it does with provinces.
INSERT INTO institutes (code, name, name_en, level, parent) VALUES
    ('CICPA', '中国注册会计师协会', 'Chinese Institute of Certified Public Accountants', 'national', NULL)
ON CONFLICT (code) DO NOTHING;
INSERT INTO institutes (code, name, name_en, level, parent) VALUES
    ('BJ', '北京注册会计师协会', 'Beijing Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('TJ', '天津市注册会计师协会', 'Tianjin Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('HE', '河北省注册会计师协会', 'Hebei Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('SX', '山西省注册会计师协会', 'Shanxi Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('NM', '内蒙古自治区注册会计师协会', 'Inner Mongolia Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('LN', '辽宁省注册会计师协会', 'Liaoning Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('JL', '吉林省注册会计师协会', 'Jilin Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('HL', '黑龙江省注册会计师协会', 'Heilongjiang Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('SH', '上海市注册会计师协会', 'Shanghai Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('JS', '江苏省注册会计师协会', 'Jiangsu Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('ZJ', '浙江省注册会计师协会', 'Zhejiang Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('AH', '安徽省注册会计师协会', 'Anhui Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('FJ', '福建省注册会计师协会', 'Fujian Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('JX', '江西省注册会计师协会', 'Jiangxi Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('SD', '山东省注册会计师协会', 'Shandong Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('HA', '河南省注册会计师协会', 'Henan Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('HB', '湖北省注册会计师协会', 'Hubei Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('HN', '湖南省注册会计师协会', 'Hunan Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('GD', '广东省注册会计师协会', 'Guangdong Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('GX', '广西注册会计师协会', 'Guangxi Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('HI', '海南省注册会计师协会', 'Hainan Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('CQ', '重庆市注册会计师协会', 'Chongqing Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('SC', '四川省注册会计师协会', 'Sichuan Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('GZ', '贵州省注册会计师协会', 'Guizhou Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('YN', '云南省注册会计师协会', 'Yunnan Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('XZ', '西藏自治区注册会计师协会', 'Tibet Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('SN', '陕西省注册会计师协会', 'Shaanxi Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('GS', '甘肃省注册会计师协会', 'Gansu Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('QH', '青海省注册会计师协会', 'Qinghai Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('NX', '宁夏回族自治区注册会计师协会', 'Ningxia Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('XJ', '新疆注册会计师协会', 'Xinjiang Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('DL', '大连市注册会计师协会', 'Dalian Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('QD', '青岛市注册会计师协会', 'Qingdao Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('NB', '宁波市注册会计师协会', 'Ningbo Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('XM', '厦门市注册会计师协会', 'Xiamen Institute of Certified Public Accountants', 'local', 'CICPA'),
    ('SZ', '深圳市注册会计师协会', 'Shenzhen Institute of Certified Public Accountants', 'local', 'CICPA')
ON CONFLICT (code) DO NOTHING;
