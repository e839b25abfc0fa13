/**
 * Recognising a report's title block and 落款 in a plain-text draft:
 * - the 署名 line right under the title: 「述职人：张三」, 「XX市XX局」, 「XX市XX局 张三」, 「张三」;
 * - the 落款 at the end: the issuing unit on one line and the 成文日期 on the last line (or the date alone).
 *
 * Both are guesses from the shape of a line, so they are narrow: a short body line such as 「各位领导：」,
 * 「大家好」 or 「现将有关情况报告如下」 is not a 署名, and a last sentence that merely contains a date
 * (「2023年1月15日召开总结会。」) is not a 落款.
 */

import { parseHeading } from './numbering'
import { officialDateLine } from './officialDate'

/** Organisational units end with one of these (局, 委员会, 党支部, …). */
const UNIT_SUFFIX =
  /(?:局|委|办|处|科|厅|部|院|所|室|站|队|中心|政府|委员会|办公室|公司|集团|支部|党委|党组|总支|小组|街道|镇|乡|村|社区|县|市|区|省|学校|大学|学院|医院|协会|联合会|工会|团委|银行|分行|支行|法院|检察院|管委会|指挥部)$/u

/** The most common surnames: a 2–4 character line starting with one of these reads as a person's name. */
const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝'

/** A name written with a mask keeps its shape: 张**, **局. */
const HAN_OR_MASK = /^[\p{Script=Han}*＊×○XxＸｘ·•]+$/u

const AUTHOR_LABEL = /^(?:述职人|报告人|汇报人|发言人|署名|作者|单位)\s*[:：]\s*(\S.*)$/u
const MAX_AUTHOR_CHARS = 30
const MAX_UNIT_CHARS = 30

const length = (text: string) => [...text].length

function isPersonName(text: string): boolean {
  const chars = [...text]
  return chars.length >= 2 && chars.length <= 4 && HAN_OR_MASK.test(text) && SURNAMES.includes(chars[0])
}

/** An organisational unit: Han characters (or masks, digits, brackets) ending in a unit suffix. */
export function isUnitName(text: string): boolean {
  return (
    length(text) >= 2 &&
    length(text) <= MAX_UNIT_CHARS &&
    /^[\p{Script=Han}*＊×○XxＸｘ0-9０-９（）()·]+$/u.test(text) &&
    UNIT_SUFFIX.test(text) &&
    parseHeading(text) === null
  )
}

/** Whether a line right under the title is a 署名 (a unit, a name, or a unit and a name); returns it trimmed. */
export function authorLine(line: string): string | null {
  const text = line.trim()
  if (text === '' || length(text) > MAX_AUTHOR_CHARS || parseHeading(text) !== null) return null
  const labelled = AUTHOR_LABEL.exec(text)
  if (labelled) return text
  // 「XX局 张三」 / 「XX局　张三」: a unit, then a name.
  const parts = text.split(/[\s　]+/u)
  if (parts.length === 2 && isUnitName(parts[0]) && isPersonName(parts[1])) return text
  if (parts.length !== 1) return null
  // （XX局办公室） is how some drafts bracket the 署名.
  const bare = text.replace(/^[（(](.*)[）)]$/u, '$1')
  return isUnitName(bare) || isPersonName(bare) ? text : null
}

export interface Signature {
  /** The issuing unit (发文机关署名); empty when the draft ends with the date alone. */
  unit: string
  /** The 成文日期 in the standard form (2023年1月15日), or a masked date as typed. */
  date: string
}

/**
 * The 落款 at the end of the lines: the last line is a date, and the line before it, when it names a
 * unit (or a person), is the signer. Returns it and how many lines it takes, or null.
 */
export function trailingSignature(lines: readonly string[]): { signature: Signature; lineCount: number } | null {
  const last = lines.at(-1)
  const date = last === undefined ? null : officialDateLine(last)
  if (date === null) return null
  const before = lines.length >= 2 ? lines[lines.length - 2].trim() : ''
  const signer = before !== '' && (isUnitName(before) || isPersonName(before) || authorLine(before) === before) && !AUTHOR_LABEL.test(before)
  return signer ? { signature: { unit: before, date }, lineCount: 2 } : { signature: { unit: '', date }, lineCount: 1 }
}
