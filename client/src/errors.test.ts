import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../shared/errorCodes'
import { ApiError, ApiErrorWithBody } from './api'
import { errorMessage } from './errors'

describe('errorMessage', () => {
  it('says a refusal in Chinese from the code the server gives, never its English text', () => {
    const unfilled = new ApiErrorWithBody(409, 'Clean export is blocked: 20 unfilled placeholders', { error: '…', code: ERROR_CODES.exportUnfilled, unfilledPlaceholders: new Array(20).fill({}) })
    expect(errorMessage(unfilled)).toBe('还有 20 处数字未填写，不能下载清稿。请先在“待填数字”中填写，或下载“Word（含修订与批注）”。')
    expect(errorMessage(new ApiErrorWithBody(501, 'PDF export needs LibreOffice', { error: '…', code: ERROR_CODES.pdfUnavailable }))).toContain('LibreOffice')
    expect(errorMessage(new ApiErrorWithBody(500, 'PDF conversion failed', { error: '…', code: ERROR_CODES.pdfFailed }))).toBe('PDF 转换失败，请稍后重试，或下载 Word 文件。')
    expect(errorMessage(new ApiErrorWithBody(503, 'Another process serves this document now', { error: '…', code: ERROR_CODES.documentMoved }))).toBe('文档正在转到另一台服务器，请稍候几秒再试。')
  })

  it('falls back on the status, and on the network when there was no answer', () => {
    expect(errorMessage(new ApiError(403, 'Forbidden'))).toBe('您没有权限执行此操作。')
    expect(errorMessage(new ApiErrorWithBody(418, 'teapot', { error: 'teapot', code: 'made-up' }))).toBe('操作未成功（服务器返回 418），请稍后重试。')
    expect(errorMessage(new TypeError('Failed to fetch'))).toBe('无法连接服务器，请检查网络后重试。')
  })
})
