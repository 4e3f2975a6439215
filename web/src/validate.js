// As-you-type checks that help people fill forms; the server stays the authority and its
// field errors replace these when it answers. Each returns an i18n key or ''.
export const PHONE = /^1[3-9]\d{9}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;
const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
const PLATE = new RegExp(`^[${PROVINCES}][A-Z](?:[A-HJ-NP-Z0-9]{5}|[DF][A-HJ-NP-Z0-9]{5}|[A-HJ-NP-Z0-9]{5}[DF])$`);
export const USCC_CHARS = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

export function checkLogin(v) {
  if (!v) return 'validation.required';
  if (v.includes('@')) return EMAIL.test(v) ? '' : 'validation.email';
  return PHONE.test(v) ? '' : 'validation.phone';
}
export function checkPassword(v) {
  if (!v) return 'validation.required';
  if (v.length < 8 || !/[A-Za-z]/.test(v) || !/\d/.test(v)) return 'validation.password';
  return '';
}
export function checkVin(v) {
  if (!v) return 'validation.required';
  if (/[IOQ]/.test(v)) return 'validation.vin_ioq';
  if (v.length !== 17) return 'validation.vin_length';
  return VIN.test(v) ? '' : 'validation.vin_chars';
}
export function checkPlate(v) {
  if (!v) return '';
  return PLATE.test(v) ? '' : 'validation.plate';
}
export function required(v) {
  return v === undefined || v === null || String(v).trim() === '' ? 'validation.required' : '';
}
