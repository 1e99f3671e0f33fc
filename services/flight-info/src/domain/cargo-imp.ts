/** Cargo-IMP / Cargo-XML FSU status codes the service accepts, with what each means. */
export const CARGO_IMP_STATUS: Readonly<Record<string, string>> = {
  FOH: 'freight on hand',
  BKD: 'booked',
  RCS: 'received from shipper',
  RCT: 'received from another airline',
  PRE: 'prepared for loading',
  MAN: 'manifested',
  DEP: 'departed',
  TRM: 'to be transferred',
  TFD: 'transferred to another airline',
  ARR: 'arrived',
  RCF: 'received from flight',
  NFD: 'consignee notified',
  AWR: 'documents received',
  AWD: 'documents delivered',
  CCD: 'cleared by customs',
  TGC: 'transferred to customs',
  DLV: 'delivered',
  DDL: 'delivered to door',
  CRC: 'reported to customs',
  DIS: 'discrepancy',
};

/** DIS discrepancy codes (Cargo-IMP). */
export const DISCREPANCY_CODES: Readonly<Record<string, string>> = {
  MSCA: 'missing cargo',
  FDCA: 'found cargo',
  MSAW: 'missing air waybill',
  FDAW: 'found air waybill',
  OFLD: 'offloaded',
  OVCD: 'overcarried',
  SSPD: 'shortshipped',
  DFLD: 'definitely loaded',
  DMG: 'damaged',
};

/** Exception code the service raises itself when no RCF follows the flight's arrival in time. */
export const RCF_OVERDUE = 'RCF_OVERDUE';

export function isCargoImpStatus(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(CARGO_IMP_STATUS, code);
}

/** A discrepancy is an exception on top of the shipment's progress: it does not move its status. */
export function movesStatus(code: string): boolean {
  return code !== 'DIS';
}
