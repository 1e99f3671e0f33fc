/**
 * Curated data the airport dataset lacks: the PRC long-distance area codes IVR callers key in for the cities we
 * serve (with the city's Chinese name), and IATA metropolitan city codes that group several airports.
 */
export interface ServedCity {
  /** PRC long-distance area code, leading zero included. */
  readonly areaCode: string;
  readonly cityZh: string;
  /** IATA codes of the city's airports. */
  readonly airports: readonly string[];
}

export const SERVED_CN_CITIES: readonly ServedCity[] = [
  { areaCode: '010', cityZh: '北京', airports: ['PEK', 'PKX'] },
  { areaCode: '021', cityZh: '上海', airports: ['PVG', 'SHA'] },
  { areaCode: '020', cityZh: '广州', airports: ['CAN'] },
  { areaCode: '0755', cityZh: '深圳', airports: ['SZX'] },
  { areaCode: '028', cityZh: '成都', airports: ['CTU', 'TFU'] },
  { areaCode: '023', cityZh: '重庆', airports: ['CKG'] },
  { areaCode: '022', cityZh: '天津', airports: ['TSN'] },
  { areaCode: '027', cityZh: '武汉', airports: ['WUH'] },
  { areaCode: '029', cityZh: '西安', airports: ['XIY'] },
  { areaCode: '0571', cityZh: '杭州', airports: ['HGH'] },
  { areaCode: '025', cityZh: '南京', airports: ['NKG'] },
  { areaCode: '0532', cityZh: '青岛', airports: ['TAO'] },
  { areaCode: '0898', cityZh: '海口', airports: ['HAK'] },
  { areaCode: '0899', cityZh: '三亚', airports: ['SYX'] },
  { areaCode: '0871', cityZh: '昆明', airports: ['KMG'] },
  { areaCode: '0592', cityZh: '厦门', airports: ['XMN'] },
  { areaCode: '024', cityZh: '沈阳', airports: ['SHE'] },
  { areaCode: '0451', cityZh: '哈尔滨', airports: ['HRB'] },
  { areaCode: '0731', cityZh: '长沙', airports: ['CSX'] },
  { areaCode: '0591', cityZh: '福州', airports: ['FOC'] },
  { areaCode: '0371', cityZh: '郑州', airports: ['CGO'] },
  { areaCode: '0531', cityZh: '济南', airports: ['TNA'] },
  { areaCode: '0411', cityZh: '大连', airports: ['DLC'] },
  { areaCode: '0851', cityZh: '贵阳', airports: ['KWE'] },
  { areaCode: '0771', cityZh: '南宁', airports: ['NNG'] },
  { areaCode: '0991', cityZh: '乌鲁木齐', airports: ['URC'] },
];

/** IATA metropolitan area codes for cities with more than one airport (others use the airport code). */
export const METRO_CITY_CODES: Readonly<Record<string, readonly string[]>> = {
  BJS: ['PEK', 'PKX', 'NAY'],
  SHA: ['PVG', 'SHA'],
  CTU: ['CTU', 'TFU'],
  LON: ['LHR', 'LGW', 'STN', 'LTN', 'LCY', 'SEN'],
  PAR: ['CDG', 'ORY', 'BVA'],
  NYC: ['JFK', 'EWR', 'LGA'],
  TYO: ['HND', 'NRT'],
  OSA: ['KIX', 'ITM', 'UKB'],
  SEL: ['ICN', 'GMP'],
  MOW: ['SVO', 'DME', 'VKO'],
  MIL: ['MXP', 'LIN', 'BGY'],
  ROM: ['FCO', 'CIA'],
  WAS: ['IAD', 'DCA', 'BWI'],
  CHI: ['ORD', 'MDW'],
  BKK: ['BKK', 'DMK'],
};
