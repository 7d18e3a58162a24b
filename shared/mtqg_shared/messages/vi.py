"""Tiếng Việt: the words a commune officer uses, with full diacritics. Same keys and
placeholders as `en.py` (see `mtqg_shared.messages` for how keys are named). Field names,
header names and codes (`area_code`, `If-Match`, `2025-07`) stay as the API writes them."""

MESSAGES: dict[str, str] = {
    # -- problem titles, by problem type ------------------------------------------------
    "title.bad-request": "Yêu cầu không hợp lệ",
    "title.unauthorized": "Cần đăng nhập",
    "title.forbidden": "Không có quyền",
    "title.not-found": "Không tìm thấy",
    "title.method-not-allowed": "Phương thức không được phép",
    "title.duplicate": "Trùng lặp",
    "title.invalid-state": "Trạng thái không cho phép",
    "title.idempotency-in-flight": "Yêu cầu cùng Idempotency-Key đang được xử lý",
    "title.idempotency-mismatch": "Idempotency-Key đã dùng cho nội dung khác",
    "title.precondition-failed": "Dữ liệu đã thay đổi",
    "title.payload-too-large": "Nội dung quá lớn",
    "title.unsupported-media-type": "Định dạng nội dung không được hỗ trợ",
    "title.validation": "Dữ liệu không hợp lệ",
    "title.precondition-required": "Thiếu điều kiện If-Match",
    "title.period-locked": "Kỳ báo cáo đã khóa",
    "title.cursor-expired": "Con trỏ đã hết hạn",
    "title.cursor-reset": "Cần đồng bộ lại từ đầu",
    "title.rate-limited": "Quá nhiều yêu cầu",
    "title.internal": "Lỗi hệ thống",
    "title.bad-gateway": "Dịch vụ trả lời lỗi",
    "title.service-unavailable": "Dịch vụ tạm thời không truy cập được",
    "title.service-timeout": "Dịch vụ không trả lời kịp",
    # -- what the framework refuses by itself, by status ---------------------------------
    "http": "Không thể phục vụ yêu cầu này.",
    "http.400": "Không đọc được yêu cầu.",
    "http.401": "Cần đăng nhập.",
    "http.403": "Không có quyền.",
    "http.404": "Không tìm thấy địa chỉ này.",
    "http.405": "Phương thức này không được phép ở đây.",
    "http.406": "Không có dạng trả lời phù hợp cho địa chỉ này.",
    "http.413": "Nội dung gửi lên quá lớn.",
    "http.415": "Định dạng nội dung gửi lên không được hỗ trợ.",
    "http.422": "Yêu cầu không hợp lệ.",
    "http.500": "Đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi lại.",
    # -- every service ------------------------------------------------------------------
    "invalid_request": "Yêu cầu không hợp lệ.",
    "json_invalid": "Nội dung gửi lên không phải JSON hợp lệ.",
    "internal": "Đã xảy ra lỗi ngoài dự kiến; lỗi đã được ghi lại.",
    "database_unavailable": (
        "Cơ sở dữ liệu tạm thời không truy cập được; vui lòng thử lại sau ít phút."
    ),
    "database_not_ready": "Cơ sở dữ liệu không phản hồi.",
    "body_too_large": "Nội dung gửi lên vượt quá {limit} byte.",
    "body_untyped": "Nội dung phải là JSON (application/json); yêu cầu chưa khai báo định dạng.",
    "body_not_json": "Nội dung phải là JSON (application/json), không phải {media}.",
    "unknown_query": "Tham số truy vấn không được hỗ trợ: {names}",
    "cursor_unknown": "Con trỏ phân trang này không do dịch vụ cấp.",
    "cursor_reset": (
        "Địa bàn, vai trò hoặc phạm vi quyền của bạn đã thay đổi kể từ khi nhận con trỏ này: "
        "hãy đồng bộ lại từ đầu danh sách thay đổi (không gửi cursor)."
    ),
    "cursor_expired": (
        "Con trỏ này cũ hơn {days} ngày mà các thay đổi được lưu giữ: hãy đồng bộ lại từ đầu "
        "danh sách thay đổi (không gửi cursor)."
    ),
    "not_found": "Không tìm thấy {what}.",
    "area_outside": "Không có địa bàn này trong phạm vi của bạn.",
    "partly_outside": "{what:cap} này có một phần nằm ngoài địa bàn của bạn; bạn chỉ được xem.",
    "id_taken": "Đã có {what} với mã (id) này.",
    "changed_meanwhile": "{what:cap} vừa được người khác thay đổi; vui lòng tải lại.",
    "status_move": (
        "Không thể chuyển {what} từ trạng thái {current} sang {to} (được phép: {allowed})."
    ),
    "already_reversed": "{what:cap} này đã được hủy trước đó.",
    "period_locked": (
        "Kỳ báo cáo {period} của địa bàn {area} đã được phê duyệt và khóa số liệu: không thể"
        " ghi dữ liệu có ngày trong kỳ này cho đến khi quản trị viên mở lại báo cáo."
    ),
    "period_report_exists": "Đã có báo cáo kỳ {period} của địa bàn {area}.",
    "period_report_moved_meanwhile": "Báo cáo kỳ này vừa được xử lý bởi người khác; hãy tải lại.",
    "reversed_or_id_taken": "{what:cap} này đã được hủy, hoặc mã (id) đã được dùng.",
    "idempotency_in_flight": "Yêu cầu có cùng Idempotency-Key đang được xử lý.",
    "idempotency_mismatch": "Idempotency-Key này đã được dùng với nội dung khác.",
    "idempotency_never_replayed": (
        "Idempotency-Key này đã được dùng; yêu cầu loại này không được gửi lại."
    ),
    "not_saved": "Thay đổi chưa được lưu; không có gì được ghi.",
    "project_id_or_code_taken": "Đã có dự án với mã (id) hoặc mã dự án này.",
    "norm_set_meanwhile": "Định mức này vừa được người khác đặt; vui lòng gửi lại.",
    "case_or_open_case_exists": "Hồ sơ này, hoặc một hồ sơ đang xử lý của hộ này, đã tồn tại.",
    "profile_created_meanwhile": "Hồ sơ xã này vừa được người khác tạo; vui lòng gửi lại.",
    "if_match_missing": "Cần gửi If-Match kèm ETag của bản ghi bạn đã đọc.",
    "if_match_stale": "Bản ghi đã thay đổi kể từ khi bạn đọc (phiên bản hiện tại {version}).",
    "access_token.required": "Cần mã truy cập (bearer access token).",
    "access_token.malformed": "Mã truy cập không đúng định dạng.",
    "access_token.algorithm": "Mã truy cập không được ký bằng thuật toán quy định.",
    "access_token.unknown_key": "Mã truy cập được ký bằng khóa không xác định.",
    "access_token.expired": "Mã truy cập đã hết hạn.",
    "access_token.invalid": "Mã truy cập không hợp lệ.",
    "access_token.unknown_kind": "Mã truy cập không cho biết loại người dùng hợp lệ.",
    "access_token.claims": "Thông tin trong mã truy cập không đúng định dạng.",
    "forbidden.read_role": "Vai trò của bạn không được xem dữ liệu ở đây.",
    "forbidden.write_role": "Cần vai trò cán bộ (officer) để tạo và sửa dữ liệu.",
    "forbidden.scope": "Hệ thống kết nối này chưa được cấp quyền {scope}.",
    "forbidden.approval_clients": "Chỉ người dùng mới được thực hiện bước phê duyệt.",
    "forbidden.report_clients": "Báo cáo kỳ do cán bộ nộp; hệ thống kết nối không được nộp.",
    "forbidden.approver_role": "Bước này cần vai trò người phê duyệt (approver).",
    "forbidden.approver_step": "Bước này của {what} cần vai trò người phê duyệt (approver).",
    "forbidden.admin_role": "Việc này cần vai trò quản trị (admin).",
    "forbidden.webhooks": "Chỉ hệ thống kết nối hoặc quản trị (admin) mới quản lý webhook.",
    "forbidden.webhook_client": "Hệ thống kết nối chỉ đăng ký webhook cho chính mình.",
    "forbidden.held_role": "Việc này cần vai trò {role}.",
    "forbidden.protection_grant": (
        "Chỉ quản trị viên có địa bàn bao trùm toàn bộ địa bàn của người này mới được cấp "
        "vai trò bảo vệ (protection)."
    ),
    "hint.old_commune": "đây là mã xã theo {geography}, nay thuộc xã {successor}",
    "hint.new_commune": "đây là mã xã theo {geography}",
    # -- the gateway --------------------------------------------------------------------
    "rate_limited": "Gửi quá nhiều yêu cầu; vui lòng chậm lại.",
    "upstream_unavailable": "Không kết nối được dịch vụ {service}.",
    "upstream_timeout": "Dịch vụ {service} không trả lời kịp.",
    "upstream_bad_answer": "Dịch vụ {service} trả lời không hợp lệ.",
    "service_refused": "Dịch vụ {service} từ chối yêu cầu.",
    "views_none_readable": "Vai trò hoặc quyền của bạn không cho xem chương trình nào.",
    "household_unknown": "Không chương trình nào có hộ này trong địa bàn của bạn.",
    "unit_unknown": "Không có đơn vị hành chính mã {code}.",
    "unit_unknown_in_geography": "Không có đơn vị hành chính mã {code} theo danh mục {geography}.",
    "username_taken": "Tên đăng nhập này đã có người dùng.",
    "signin_throttled": "Đăng nhập sai quá nhiều lần; vui lòng chờ rồi thử lại.",
    "token.wrong_password": "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đã bị khóa.",
    "token.wrong_client": "Xác thực hệ thống kết nối không thành công.",
    "token.password_fields": "Cần có username và password.",
    "token.client_fields": "Cần thông tin xác thực hệ thống kết nối (trong form hoặc HTTP Basic).",
    "token.client_disabled": "Hệ thống kết nối này đã bị khóa.",
    "token.client_twice": "Chỉ gửi thông tin xác thực ở một nơi: trong form hoặc HTTP Basic.",
    "token.scope": "Phạm vi quyền (scope) yêu cầu không tồn tại hoặc vượt quá quyền được cấp.",
    "token.refresh_field": "Cần có refresh_token.",
    "token.refresh_invalid": "Mã làm mới (refresh token) không hợp lệ.",
    "token.refresh_reused": (
        "Mã làm mới này đã được dùng; mọi mã của lần đăng nhập đó đã bị thu hồi. "
        "Vui lòng đăng nhập lại."
    ),
    "token.refresh_expired": "Mã làm mới đã hết hạn; vui lòng đăng nhập lại.",
    "token.refresh_stale": (
        "Tài khoản đã bị khóa hoặc đã đổi mật khẩu, vai trò hay địa bàn; vui lòng đăng nhập lại."
    ),
    "token.field_repeated": "Trường {name} chỉ được gửi một lần.",
    "token.field_not_plain": "Trường {name} phải là trường form thông thường.",
    "token.basic_malformed": "Thông tin xác thực HTTP Basic không đúng định dạng.",
    "token.not_form": "Yêu cầu cấp mã phải gửi dạng form (form-encoded).",
    "token.grant_missing": "Cần có grant_type.",
    "token.grant_unknown": "grant_type phải là password, client_credentials hoặc refresh_token.",
    # -- housing ------------------------------------------------------------------------
    "open_case_exists": "Hộ này đã có hồ sơ đang xử lý.",
    "case_moved_meanwhile": "Hồ sơ vừa được chuyển bước, hoặc mã (id) của bước đã tồn tại.",
    "case_classification_fixed": (
        "Nhóm đối tượng và hình thức hỗ trợ không được thay đổi khi hồ sơ đã ở trạng thái {status}."
    ),
    "cancelled_case_funding": "Hồ sơ đã hủy không nhận thêm kinh phí; chỉ được ghi hủy khoản cũ.",
    "obstacle_resolved": "Vướng mắc này đã được giải quyết.",
    "obstacle_not_reopened": (
        "Vướng mắc đã giải quyết không được mở lại; hãy báo cáo vướng mắc mới."
    ),
    "forbidden.norms_province": (
        "Định mức áp dụng cho toàn tỉnh: cần quyền quản trị cấp tỉnh ({province}) để đặt định mức."
    ),
    # -- labour -------------------------------------------------------------------------
    "national_id_taken": "Đã có người lao động với số định danh cá nhân này.",
    "placement_active_exists": "Người lao động này đã có hợp đồng đi làm việc đang hiệu lực.",
    "placement_departed": "Không được thay đổi {field} khi người lao động đã xuất cảnh.",
    "remittance_not_departed": (
        "Hợp đồng đang ở trạng thái {status}, người lao động chưa xuất cảnh; "
        "chỉ ghi tiền gửi về sau khi xuất cảnh."
    ),
    "profile_none_to_match": "Chưa có hồ sơ xã để đối chiếu; hãy gửi PUT không kèm If-Match.",
    "forbidden.partners_province": ("Doanh nghiệp đối tác do cán bộ có địa bàn toàn tỉnh quản lý."),
    # -- production ---------------------------------------------------------------------
    "project_code_taken": "Đã có dự án với mã này.",
    "project_fixed": (
        "{fields} chỉ được thay đổi khi dự án còn ở bước đề xuất; dự án đang ở trạng thái {status}."
    ),
    "disbursement_status": (
        "Chỉ ghi giải ngân khi dự án đã được phê duyệt, đang thực hiện hoặc đã hoàn thành; "
        "dự án này đang ở trạng thái {status}."
    ),
    "participant_status": (
        "Hộ chỉ tham gia dự án đang thực hiện; dự án này đang ở trạng thái {status}."
    ),
    "participant_twice": "Hộ này đã tham gia dự án này.",
    # -- field errors: `field.<code>` is the code's own message --------------------------
    "field.invalid": "không hợp lệ",
    "field.invalid.batch_in_batch": "một lô không được chứa một lô khác",
    "field.invalid.batch_outside": (
        "phải là đường dẫn của dịch vụ này, bắt đầu bằng {prefix}/ "
        "(hãy gửi thao tác này vào lô của dịch vụ kia)"
    ),
    "field.invalid.webhook_format": (
        "phải là địa chỉ http hoặc https đầy đủ, không kèm tên đăng nhập hay #"
    ),
    "field.invalid.webhook_https_required": "địa chỉ công khai phải dùng https",
    "field.invalid.webhook_private_address": (
        "trỏ tới địa chỉ nội bộ (loopback, mạng riêng, link-local); không được phép"
    ),
    "field.invalid.webhook_mapped_address": "trỏ tới địa chỉ IPv4-mapped; không được phép",
    "field.invalid.webhook_unresolved": "không phân giải được tên máy chủ",
    "field.required": "không được để trống",
    "field.required.note": "cần ghi chú khi chuyển {what} sang {to}",
    "field.required.outcome": "cần ghi kết quả xử lý khi đóng vụ việc",
    "field.required.resolution": "cần nêu cách giải quyết để đóng vướng mắc",
    "field.required.unless_field": "bắt buộc nếu không có {other}",
    "field.required.unless_reverses": "bắt buộc (trừ khi khoản này hủy một khoản khác)",
    "field.required.with_area_code": "geography đi kèm area_code; cần gửi cả hai",
    "field.required.with_field": "bắt buộc khi có {other}",
    "field.required.client_id": "quản trị cần nêu client_id của hệ thống kết nối nhận webhook",
    "field.unknown_field": "trường không được hỗ trợ",
    "field.unknown_field.parameter": "tham số không được hỗ trợ",
    "field.unknown_field.with_reverses": "không được gửi cùng reverses: lấy theo khoản bị hủy",
    "field.unknown_field.without": "chỉ được gửi cùng {other}",
    "field.unknown_field.outcome": "chỉ ghi kết quả xử lý khi đóng vụ việc",
    "field.read_only": "không được thay đổi",
    "field.not_zero": "không được bằng 0 (cắt giảm ghi số âm, phân bổ ghi số dương)",
    "field.not_null": "không được để trống (null)",
    "field.not_null.named": "{name} không được để trống (null)",
    "field.invalid_type": "sai kiểu dữ liệu",
    "field.invalid_type.text": "phải là chuỗi ký tự",
    "field.invalid_type.object": "phải là một đối tượng JSON",
    "field.invalid_type.list": "phải là một danh sách",
    "field.invalid_type.null": "phải để trống (null)",
    "field.not_a_number": "phải là số",
    "field.not_a_number.integer": "phải là số nguyên",
    "field.invalid_format": "không đúng định dạng",
    "field.invalid_format.bool": "phải là true hoặc false",
    "field.invalid_format.day": "phải là ngày viết theo dạng YYYY-MM-DD",
    "field.invalid_format.month": "phải là tháng viết theo dạng YYYY-MM",
    "field.invalid_format.timestamp": "phải là ngày giờ (RFC 3339)",
    "field.invalid_format.uuid": "phải là mã UUID",
    "field.invalid_format.cursor": "con trỏ không hợp lệ",
    "field.invalid_format.country": "không phải mã quốc gia ISO 3166-1 alpha-2",
    "field.invalid_format.control_characters": "không được chứa ký tự NUL hoặc ký tự điều khiển",
    "field.invalid_format.unicode": "phải là văn bản Unicode hợp lệ",
    "field.too_short": "quá ngắn",
    "field.too_short.chars": "phải có ít nhất {min_length} ký tự",
    "field.too_short.empty": "không được để trống",
    "field.too_short.items": "phải có ít nhất {min_length} mục",
    "field.too_long": "quá dài",
    "field.too_long.chars": "không được quá {max_length} ký tự",
    "field.too_long.items": "không được quá {max_length} mục",
    "field.too_long.digits": "có quá nhiều chữ số",
    "field.too_long.decimals": "chỉ được có tối đa {decimal_places} chữ số thập phân",
    "field.out_of_range": "nằm ngoài khoảng cho phép",
    "field.out_of_range.ge": "phải từ {ge} trở lên",
    "field.out_of_range.gt": "phải lớn hơn {gt}",
    "field.out_of_range.le": "không được vượt quá {le}",
    "field.out_of_range.lt": "phải nhỏ hơn {lt}",
    "field.out_of_range.multiple_of": "phải là bội số của {multiple_of}",
    "field.out_of_range.finite": "phải là số hữu hạn, độ lớn hợp lý",
    "field.out_of_range.min_age": "người lao động phải từ {age} tuổi trở lên",
    "field.out_of_range.departure_age": (
        "người lao động phải từ {age} tuổi trở lên vào ngày xuất cảnh"
    ),
    "field.out_of_range.after_return": "tháng này sau tháng về nước {last}",
    "field.out_of_range.after_deadline": "mốc tiến độ không được sau hạn hoàn thành",
    "field.out_of_range.cumulative_target": (
        "chỉ tiêu được cộng dồn: mốc sau không được ít nhà hơn mốc trước"
    ),
    "field.out_of_range.below_disbursed": (
        "không được thấp hơn số đã giải ngân ({disbursed} đồng)"
    ),
    "field.out_of_range.stars": (
        "sản phẩm {stars} sao có điểm từ {low} đến {high}, không phải {score}"
    ),
    "field.in_future": "không được sau ngày hôm nay ({on})",
    "field.in_future.month": "tháng này chưa đến",
    "field.in_future.year": "không được lập hồ sơ cho năm chưa đến",
    "field.before_start": "không được trước {what} ({earliest})",
    "field.before_start.field": "không được trước {other}",
    "field.before_start.after_field": "phải sau {other}",
    "field.before_start.departure_month": "tháng này trước tháng xuất cảnh {first}",
    "field.invalid_choice": "không thuộc các giá trị được phép",
    "field.invalid_choice.one_of": "phải là một trong các giá trị: {expected}",
    "field.invalid_choice.geography": "geography phải là 2025-01 hoặc 2025-07",
    "field.invalid_choice.period_old_geography": (
        "địa bàn theo địa giới 2025-01 chỉ báo cáo các kỳ kết thúc trước ngày 01/07/2025"
    ),
    "field.invalid_format.period": "phải là kỳ dạng YYYY-MM, YYYY-Qn, YYYY-H1, YYYY-H2 hoặc YYYY",
    "field.period_not_ended": "kỳ {period} chưa kết thúc: kỳ kết thúc ngày {end}",
    "field.invalid_choice.zone_area": "vùng sản xuất phải thuộc một xã hoặc một huyện cũ",
    "field.invalid_choice.home_country": "nơi làm việc ở nước ngoài không thể là Việt Nam",
    "field.invalid_choice.protection_alone": (
        "vai trò {role} phải đi kèm một vai trò khác (viewer, officer, approver hoặc admin), "
        "không được cấp riêng"
    ),
    "field.invalid_choice.reversal_copies": (
        "khoản ghi hủy giữ nguyên giá trị của khoản bị hủy ({kept}); hãy ghi một khoản mới"
    ),
    "field.invalid_choice.project": (
        "phải là mã dự án thuộc dịch vụ này: {expected} (xem GET /api/v1/programmes)"
    ),
    "field.invalid_choice.reversal": "khoản ghi hủy không thể bị hủy tiếp; hãy ghi lại khoản đúng",
    "field.invalid_choice.webhook_scope": "hệ thống kết nối chưa được cấp quyền {scope}",
    "field.invalid_choice.webhook_service": "webhook này không theo dõi dịch vụ {service}",
    "field.not_in_geography": "không có trong danh mục đơn vị hành chính đó",
    "field.not_in_geography.level": "không có {level} mã {code} theo danh mục {geography}",
    "field.not_in_geography.hinted": (
        "không có {level} mã {code} theo danh mục {geography} ({hint})"
    ),
    "field.not_in_geography.old_unit": (
        "{level} mã {code} thuộc danh mục 2025-01: không đọc được theo danh mục 2025-07"
    ),
    "field.not_in_geography.caller_area": "địa bàn là 15 (toàn tỉnh) hoặc mã xã theo 2025-07",
    "field.not_in_your_areas": "nằm ngoài địa bàn của bạn",
    "field.not_in_your_areas.commune": "Xã này nằm ngoài địa bàn của bạn.",
    "field.not_in_your_areas.area": "Địa bàn này nằm ngoài địa bàn của bạn.",
    "field.not_in_your_areas.record": "{what:cap} này nằm ngoài địa bàn của bạn.",
    "field.not_in_your_areas.grant": "Bạn chỉ được cấp địa bàn nằm trong địa bàn của mình.",
    "field.not_in_your_areas.case_outside_area": "hồ sơ nằm ngoài địa bàn của vướng mắc",
    "field.not_found": "Không tìm thấy {what}.",
    "field.not_found.entry": "Không tìm thấy {what} này của {owner}.",
    "field.over_cap": "vượt mức cho phép",
    "field.over_cap.field": "không được vượt quá {other}",
    "field.over_cap.households": "tổng số hộ nghèo và hộ cận nghèo không được vượt quá số hộ",
    "field.over_cap.state_share": (
        "vượt mức hỗ trợ: tối đa {share} của total_cost_vnd, tức {cap} đồng"
    ),
    "field.over_cap.disbursement": (
        "vượt mức hỗ trợ đã phê duyệt: chỉ còn {remaining} đồng được giải ngân"
    ),
    "field.over_cap.plan_target": "vượt chỉ tiêu của kế hoạch ({target} nhà)",
    "field.listed_twice": "bị liệt kê hai lần",
    "field.listed_twice.milestone_date": "hai mốc tiến độ trùng ngày",
    "field.period_locked": "kỳ báo cáo đã khóa",
    # -- words used in messages ---------------------------------------------------------
    "word.none": "không có",
    "word.resource": "dữ liệu",
    "word.unit": "đơn vị hành chính",
    "word.province": "tỉnh",
    "word.district": "huyện",
    "word.commune": "xã",
    "word.user": "người dùng",
    "word.client": "hệ thống kết nối",
    "word.webhook": "webhook",
    "word.case": "hồ sơ",
    "word.step": "bước xử lý",
    "word.period_report": "báo cáo kỳ",
    "word.period_report_step": "bước xử lý báo cáo kỳ",
    "word.funding_entry": "khoản kinh phí",
    "word.plan": "kế hoạch",
    "word.obstacle": "vướng mắc",
    "word.norm": "định mức hỗ trợ",
    "word.worker": "người lao động",
    "word.partner": "doanh nghiệp đối tác",
    "word.outreach_event": "buổi tư vấn",
    "word.placement": "hợp đồng đi làm việc",
    "word.transition": "bước xử lý",
    "word.remittance": "khoản tiền gửi về",
    "word.commune_profile": "hồ sơ lao động của xã",
    "word.zone": "vùng sản xuất",
    "word.project": "dự án",
    "word.project_step": "bước của dự án",
    "word.disbursement": "khoản giải ngân",
    "word.participant": "hộ tham gia",
    "word.facility": "cơ sở",
    "word.ocop_product": "sản phẩm OCOP",
    "word.community_model": "mô hình cộng đồng",
    "word.protection_case": "vụ việc",
    "word.activity": "hoạt động",
    "word.material": "tài liệu truyền thông",
    "field.invalid.cameras_only": (
        "chỉ camera mới được kết nối với Trung tâm giám sát, điều hành thông minh (IOC)"
    ),
    "field.required.decision_number": "cần ghi số quyết định công nhận thôn thông minh",
    "field.out_of_range.status_change": (
        "phải không muộn hơn ngày {earliest}, ngày tình trạng thiết bị thay đổi lần đầu"
    ),
    "word.asset": "thiết bị hạ tầng số",
    "word.team": "tổ công nghệ số cộng đồng",
    "word.smart_village": "thôn thông minh",
    "word.seller": "cơ sở bán hàng trực tuyến",
    "word.current_status": "ngày bắt đầu tình trạng hiện tại",
    "word.start_date": "ngày bắt đầu xây dựng",
    "word.capital_plan": "kế hoạch vốn",
    "word.spending_entry": "khoản chi",
    # dates a step or an entry may not come before
    "word.registration_date": "ngày đăng ký",
    "word.previous_step": "ngày của bước trước",
    "word.reported_date": "ngày báo cáo vướng mắc",
    "word.reversed_entry": "ngày của khoản bị hủy",
    "word.project_approval": "ngày phê duyệt dự án",
    "word.proposal_date": "ngày đề xuất",
    # imports
    "import_not_spreadsheet": (
        "Tệp không phải sổ tính XLSX hay tệp CSV mã UTF-8; hãy lưu lại theo một trong hai dạng đó."
    ),
    "body_not_multipart": "Tệp nhập được gửi dạng multipart/form-data, không phải {media}.",
    "import_no_header": (
        "Không có dòng nào ở đầu tệp ghi tên cột của {resource} (tên trường hoặc nhãn cột)."
    ),
    "import_too_many_rows": "Tệp có hơn {limit} dòng; hãy chia nhỏ tệp.",
    "import_gave_up": (
        "Việc nhập bị gián đoạn {attempts} lần và đã dừng; chưa ghi dữ liệu nào. Hãy gửi lại tệp."
    ),
    "import_resource_gone": "Dịch vụ không còn nhận nhập loại dữ liệu này; chưa ghi dữ liệu nào.",
    "import_row_conflict": "Đã có bản ghi khác mang các giá trị này.",
    "import_row_failed": "Không ghi được dòng này.",
    "word.import": "lần nhập dữ liệu",
    "word.import_template": "mẫu nhập dữ liệu",
    "field.required.import_header": "cần một dòng tiêu đề ghi tên các cột",
    "field.unknown_field.column": "cột {column} không ứng với trường nào của {resource}",
    "field.unknown_field.no_header": "ô này có dữ liệu nhưng cột không có tiêu đề",
    "field.listed_twice.column": "có thêm một cột nữa cũng ghi {name}",
    "field.invalid_choice.no_update": "không thể cập nhật {resource} bằng cách nhập tệp",
    "field.exists": "đã có {what} trùng {fields}",
    "template.notes_sheet": "Hướng dẫn",
    "template.example": "Dòng ví dụ (trang này không được nhập)",
    "template.label": "Cột",
    "template.field": "Trường",
    "template.required": "Bắt buộc",
    "template.type": "Kiểu dữ liệu",
    "template.unit": "Đơn vị",
    "template.format": "Định dạng",
    "template.allowed": "Giá trị được chọn (mã hoặc tên)",
    "template.yes": "có",
    "template.no": "không",
    "template.type.int": "số nguyên",
    "template.type.float": "số",
    "template.type.bool": "có / không",
    "template.type.date": "ngày",
    "template.type.datetime": "ngày giờ",
    "template.type.enum": "chọn trong danh sách",
    "template.type.text": "chữ",
    "template.type.list": "danh sách, cách nhau bằng dấu phẩy",
    "template.type.other": "giá trị",
    "field.not_found.open_case": "hộ này không có hồ sơ nào đang mở",
    # exports
    "export_not_here": (
        "Tham số `format` chỉ dùng cho danh sách và báo cáo: điểm truy cập này không xuất "
        "được tệp (một bản ghi, bộ từ vựng và luồng thay đổi không xuất tệp)"
    ),
    "export_paged": (
        "Tệp xuất chứa toàn bộ danh sách: không dùng `limit` và `cursor` cùng với `format`"
    ),
    "export_too_many_rows": (
        "Không xuất được quá {limit} dòng ra xlsx: hãy thu hẹp bộ lọc hoặc xuất csv"
    ),
    "export_total": "Tổng cộng",
    "export_row": "Dòng",
    "export_figure": "Chỉ tiêu",
    "export_value": "Giá trị",
    "export_reason": "Lý do không có số liệu",
}
